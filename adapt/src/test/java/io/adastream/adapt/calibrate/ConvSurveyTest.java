package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.ModelProto;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConvSurveyTest {

    @Test
    void rolesFollowTheGraphStructure() {
        ModelProto model = CalibrationNetworks.mixed(13, 1);
        List<ConvSite.Role> roles = ConvSurvey.survey(model.getGraph()).stream().map(ConvSite::role).toList();
        // structure alone cannot see that conv4 has one position: that is decided on the frames
        assertEquals(List.of(ConvSite.Role.NORMALIZED, ConvSite.Role.CANDIDATE, ConvSite.Role.CANDIDATE,
                ConvSite.Role.CANDIDATE, ConvSite.Role.CANDIDATE, ConvSite.Role.HEAD), roles);
    }

    @Test
    void aConvolutionWhoseOutputIsAlsoAModelOutputIsAHead() {
        ModelProto model = CalibrationNetworks.kept(13, 2);
        String firstConv = model.getGraph().getNode(0).getOutput(0);
        ModelProto exposing = model.toBuilder().setGraph(model.getGraph().toBuilder()
                .addOutput(model.getGraph().getOutput(0).toBuilder().setName(firstConv))).build();
        // kept: conv0 feeds a BatchNorm, which wins over being exposed; so expose a conv without BN instead
        List<ConvSite> sites = ConvSurvey.survey(exposing.getGraph());
        assertEquals(ConvSite.Role.NORMALIZED, sites.get(0).role());
        assertEquals(ConvSite.Role.HEAD, sites.get(sites.size() - 1).role());
        assertEquals(4, sites.size());
    }
}

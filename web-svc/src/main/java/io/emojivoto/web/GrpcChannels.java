package io.emojivoto.web;

import io.grpc.ManagedChannel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The two gRPC channels. Through Spring's channel factory, so that the tracing (observation)
 * interceptor is on them. With an outbound proxy the channel connects to the proxy but keeps the
 * service's logical name as its authority, which is what the proxy routes by.
 */
@Configuration(proxyBeanMethods = false)
class GrpcChannels {

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel emojiChannel(GrpcChannelFactory channels, WebProperties properties) {
        return channelTo(channels, properties, properties.emojiSvcHost());
    }

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel votingChannel(GrpcChannelFactory channels, WebProperties properties) {
        return channelTo(channels, properties, properties.votingSvcHost());
    }

    private static ManagedChannel channelTo(GrpcChannelFactory channels, WebProperties properties, String host) {
        String connectTo = properties.viaProxy() ? properties.outboundProxy() : host;
        ManagedChannel channel = channels.createChannel("dns:///" + connectTo, ChannelBuilderOptions.defaults()
                .withCustomizer((name, builder) -> builder.overrideAuthority(host)));
        channel.getState(true); // connect now, at start, rather than within the first vote's deadline
        return channel;
    }
}
